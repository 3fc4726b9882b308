"""Loading a region's own data: files people keep (CSV, XLSX) and standard feeds (JobTech).

Pure: bytes in, checked records and a report out. ``kedja.services.loading`` owns the
transaction that writes them.
"""

from kedja.loading.files import Row, Table, read_table
from kedja.loading.kinds import KINDS, Column, Kind, ValueType, columns_of, kind_of
from kedja.loading.mapping import Mapping, parse_mapping
from kedja.loading.records import build_record
from kedja.loading.reference import Reference
from kedja.loading.validate import Problem, Record, Validation, validate_table

__all__ = [
    "KINDS",
    "Column",
    "Kind",
    "Mapping",
    "Problem",
    "Record",
    "Reference",
    "Row",
    "Table",
    "Validation",
    "ValueType",
    "build_record",
    "columns_of",
    "kind_of",
    "parse_mapping",
    "read_table",
    "validate_table",
]
