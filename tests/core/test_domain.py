from __future__ import annotations

from datetime import date

import pytest

from kedja.core.errors import Conflict, InvalidInput
from kedja.core.establishments import Establishment
from kedja.core.geography import AgeShares, Coordinates, Municipality
from kedja.core.journeys import Referral, ReferralState
from kedja.core.opportunities import Opportunity, OpportunityKind, TrainingDetails
from kedja.core.organisations import AsfProfile, Organisation, OrganisationKind
from kedja.core.people import Constraints, LabourSituation, LabourStatus, LanguageSkill, Person
from kedja.core.protected import ProtectedAttributes


def test_error_names_value_field_and_fix() -> None:
    with pytest.raises(InvalidInput) as caught:
        Municipality(code="258", name="Luleå", county_code="25", functional_area_code=None,
                     seat=Coordinates(65.58, 22.15))
    error = caught.value
    assert error.value == "258" and error.field == "municipality.code"
    assert "Fix:" in str(error) and error.status == 422


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"lat": 95.0, "lon": 0.0}, "lat"),
    ({"lat": 0.0, "lon": 200.0}, "lon"),
])
def test_coordinates_are_checked(kwargs: dict[str, float], field: str) -> None:
    with pytest.raises(InvalidInput, match=field):
        Coordinates(**kwargs)


def test_age_shares_must_sum_to_one() -> None:
    AgeShares(0.2, 0.55, 0.25, 2019)
    with pytest.raises(InvalidInput, match="sum"):
        AgeShares(0.2, 0.2, 0.2, 2019)


def test_organisation_number_check_digit_and_asf_profile() -> None:
    org = Organisation(id="A", name="Städkooperativet", kind="asf", municipality_code="2580",
                       org_number="7696059919", asf=AsfProfile(("städ",), 8))
    assert org.kind is OrganisationKind.ASF and org.org_number == "769605-9919"
    with pytest.raises(InvalidInput, match="check digit"):
        Organisation(id="B", name="X", kind="employer", municipality_code="2580",
                     org_number="769605-9912")
    with pytest.raises(InvalidInput, match="only an ASF"):
        Organisation(id="C", name="X", kind="employer", municipality_code="2580",
                     asf=AsfProfile(("städ",), 8))
    with pytest.raises(InvalidInput, match="not a known OrganisationKind"):
        Organisation(id="D", name="X", kind="bank", municipality_code="2580")


def test_person_validation() -> None:
    with pytest.raises(InvalidInput, match="needs an occupation"):
        LabourSituation(LabourStatus.EMPLOYED)
    with pytest.raises(InvalidInput, match="driving licence"):
        Person(id="P1", municipality_code="2580",
               situation=LabourSituation(LabourStatus.UNEMPLOYED), driving_licences=frozenset({"Z"}))
    with pytest.raises(InvalidInput, match="CEFR"):
        LanguageSkill("sv", "fluent")
    with pytest.raises(InvalidInput, match="max_commute_minutes"):
        Constraints(max_commute_minutes=-5)
    person = Person(id="P1", municipality_code="2580",
                    situation=LabourSituation(LabourStatus.OUTSIDE),
                    languages=(LanguageSkill("sv", "A2"),))
    assert person.is_job_seeker and person.language_rank("sv") == 2 and person.language_rank("fi") == 0


def test_protected_attributes_live_apart_from_person() -> None:
    assert not {"gender", "birth_year", "born_abroad", "disability"} & set(Person.__dataclass_fields__)
    with pytest.raises(InvalidInput, match="gender"):
        ProtectedAttributes("P1", gender="unknown")


def test_opportunity_rules() -> None:
    training = TrainingDetails(20, "KVX2580", ("5321",), 40_000)
    course = Opportunity(id="O1", kind="training", title="Vård", organisation_id="KVX2580",
                         municipality_code="2580", training=training, capacity=20)
    assert course.kind is OpportunityKind.TRAINING
    with pytest.raises(InvalidInput, match="before it starts"):
        Opportunity(id="O2", kind="job", title="Svetsare", organisation_id="E",
                    municipality_code="2580", starts=date(2026, 5, 1), ends=date(2026, 4, 1))
    with pytest.raises(InvalidInput, match="remote_share"):
        Opportunity(id="O3", kind="job", title="Dev", organisation_id="E",
                    municipality_code="2580", remote_share=1.5)


def test_establishment_mix_and_ramp() -> None:
    e = Establishment(id="E1", name="Plant", municipality_code="2482",
                      headcount_by_year={2025: 100, 2029: 500}, occupation_mix={"8131": 1.0})
    assert [e.headcount(y) for y in (2024, 2025, 2027, 2030)] == [0, 100, 300, 500]
    with pytest.raises(InvalidInput, match="sums to"):
        Establishment(id="E2", name="Plant", municipality_code="2482",
                      headcount_by_year={2025: 100}, occupation_mix={"8131": 0.5})
    with pytest.raises(InvalidInput, match="outside"):
        Establishment(id="E3", name="Plant", municipality_code="2482",
                      headcount_by_year={2025: -1}, occupation_mix={"8131": 1.0})


def test_referral_state_machine() -> None:
    r = Referral(id="R1", person_id="P1", from_organisation_id="A", to_organisation_id="B",
                 created=date(2026, 1, 1))
    r = r.advance(ReferralState.ACCEPTED).advance(ReferralState.STARTED)
    done = r.advance(ReferralState.COMPLETED)
    with pytest.raises(Conflict, match="closed"):
        done.advance(ReferralState.ENDED, reason="x")
    with pytest.raises(InvalidInput, match="reason"):
        r.advance(ReferralState.ENDED)
    with pytest.raises(InvalidInput, match="another organisation"):
        Referral(id="R2", person_id="P1", from_organisation_id="A", to_organisation_id="A",
                 created=date(2026, 1, 1))
