"""Importers: official classification files in, :class:`~kedja.core.concepts.TaxonomyBatch` out.

Pure parsing (no database): the service writes the batch in one transaction.
"""

from kedja.taxonomy.importers.esco import esco_batch
from kedja.taxonomy.importers.jobtech import jobtech_batch
from kedja.taxonomy.importers.jobtech_api import fetched_exports
from kedja.taxonomy.importers.onet import onet_batch
from kedja.taxonomy.importers.scb import jsonstat_records, scb_employment_batch, scb_key_batch

__all__ = ["esco_batch", "fetched_exports", "jobtech_batch", "jsonstat_records", "onet_batch",
           "scb_employment_batch", "scb_key_batch"]
