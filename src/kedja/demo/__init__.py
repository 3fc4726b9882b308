"""The demo region: the region pack, the compact taxonomy pack and the seeded generator."""

from kedja.demo.accounts import DEMO_PASSWORD, DemoAccount, demo_accounts, demo_consents, staff_consents
from kedja.demo.generator import DEMO_DATE, DemoRegion, generate_demo
from kedja.demo.packs import RegionPack, TaxonomyPack, load_region_pack, load_taxonomy_pack

__all__ = [
    "DEMO_DATE",
    "DEMO_PASSWORD",
    "DemoAccount",
    "DemoRegion",
    "RegionPack",
    "TaxonomyPack",
    "demo_accounts",
    "demo_consents",
    "generate_demo",
    "load_region_pack",
    "load_taxonomy_pack",
    "staff_consents",
]
