"""A tiny, hand-written ESCO download (three occupations, five skills) built in tmp_path."""

from __future__ import annotations

from pathlib import Path

E = "http://data.europa.eu/esco"
OCC_HEADER = ("conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,hiddenLabels,status,"
              "modifiedDate,regulatedProfessionNote,scopeNote,definition,inScheme,description,code")
SKILL_HEADER = ("conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,hiddenLabels,"
                "status,modifiedDate,scopeNote,definition,inScheme,description")
COLLECTION_HEADER = ("conceptType,conceptUri,preferredLabel,status,skillType,reuseLevel,altLabels,"
                     "description,broaderConceptUri,broaderConceptPT")
COLLECTION_FILES = ("greenSkillsCollection_en.csv", "digitalSkillsCollection_en.csv",
                    "digCompSkillsCollection_en.csv", "transversalSkillsCollection_en.csv",
                    "languageSkillsCollection_en.csv", "researchSkillsCollection_en.csv",
                    "researchOccupationsCollection_en.csv")


def occ(uid: str, isco: str, label: str, alt: str = "") -> str:
    return f'Occupation,{E}/occupation/{uid},{isco},{label},"{alt}",,released,,,,,,,{isco}.1'


def skill(uid: str, label: str, kind: str = "skill/competence", reuse: str = "sector-specific") -> str:
    return f"KnowledgeSkillCompetence,{E}/skill/{uid},{kind},{reuse},{label},,,released,,,,,"


FILES = {
    "en/occupations_en.csv": [OCC_HEADER,
                              occ("o1", "7212", "welder", "welding operator\nsteel welder"),
                              occ("o2", "5322", "home care aide"),
                              occ("o3", "8121", "metal processing plant operator")],
    "en/skills_en.csv": [SKILL_HEADER, skill("s1", "weld metal"), skill("s2", "read blueprints"),
                         skill("s3", "assist patients", reuse="occupation-specific"),
                         skill("s4", "work safely", reuse="transversal"),
                         skill("s5", "metallurgy", kind="knowledge")],
    "en/ISCOGroups_en.csv": ["conceptType,conceptUri,code,preferredLabel,status,altLabels,inScheme,description",
                             f"ISCOGroup,{E}/isco/C7212,7212,Welders and flame cutters,released,,,",
                             f"ISCOGroup,{E}/isco/C721,721,Sheet and structural metal workers,released,,,",
                             f"ISCOGroup,{E}/isco/C5322,5322,Home-based personal care workers,released,,,",
                             f"ISCOGroup,{E}/isco/C8121,8121,Metal processing plant operators,released,,,"],
    "en/skillGroups_en.csv": ["conceptType,conceptUri,preferredLabel,altLabels,hiddenLabels,status,modifiedDate,scopeNote,inScheme,description,code",
                              f"SkillGroup,{E}/skill/g1,metal work,,,released,,,,,S6.1"],
    "en/skillsHierarchy_en.csv": ["Level 0 URI,Level 0 preferred term,Level 1 URI,Level 1 preferred term,Level 2 URI,Level 2 preferred term,Level 3 URI,Level 3 preferred term,Description,Scope note,Level 0 code,Level 1 code,Level 2 code,Level 3 code",
                                  f"{E}/skill/g0,skills",
                                  f"{E}/skill/g0,skills,{E}/skill/g1,metal work,,,,,,,S,S6"],
    "relations/occupationSkillRelations.csv": [
        "occupationUri,relationType,skillType,skillUri",
        f"{E}/occupation/o1,essential,skill/competence,{E}/skill/s1",
        f"{E}/occupation/o1,essential,skill/competence,{E}/skill/s2",
        f"{E}/occupation/o1,optional,skill/competence,{E}/skill/s4",
        f"{E}/occupation/o2,essential,skill/competence,{E}/skill/s3",
        f"{E}/occupation/o2,essential,skill/competence,{E}/skill/s4",
        f"{E}/occupation/o3,essential,knowledge,{E}/skill/s5",
        f"{E}/occupation/o3,essential,skill/competence,{E}/skill/s4",
        f"{E}/occupation/o3,optional,skill/competence,{E}/skill/s1",
        f"{E}/occupation/o3,optional,skill/competence,{E}/skill/missing"],
    "relations/skillSkillRelations.csv": [
        "originalSkillUri,originalSkillType,relationType,relatedSkillType,relatedSkillUri",
        f"{E}/skill/s1,skill/competence,optional,knowledge,{E}/skill/s5"],
    "relations/broaderRelationsOccPillar.csv": [
        "conceptType,conceptUri,broaderType,broaderUri",
        f"ISCOGroup,{E}/isco/C7212,ISCOGroup,{E}/isco/C721",
        f"Occupation,{E}/occupation/o1,ISCOGroup,{E}/isco/C7212"],
    "relations/broaderRelationsSkillPillar.csv": [
        "conceptType,conceptUri,broaderType,broaderUri",
        f"KnowledgeSkillCompetence,{E}/skill/s1,SkillGroup,{E}/skill/g1"],
    **{f"en/{name}": [COLLECTION_HEADER] for name in COLLECTION_FILES},
}
FILES["en/transversalSkillsCollection_en.csv"] = [
    COLLECTION_HEADER,
    f"KnowledgeSkillCompetence,{E}/skill/s4,work safely,released,skill/competence,transversal,,,,"]


def write_esco(root: Path, files: dict[str, list[str]] | None = None) -> Path:
    """Write the tiny ESCO download under ``root`` and return the folder."""
    for name, lines in (files or FILES).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root
