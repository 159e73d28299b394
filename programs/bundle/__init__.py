"""The program bundle (residency-bundle/1): checking, importing and exporting it.

The format is specified in spec/program-bundle.md and published as `schema.json`; the user
documentation is docs/bundle-format.md.
"""

from programs.bundle.exporter import bundle_export, bundle_json
from programs.bundle.importer import bundle_import
from programs.bundle.problems import BundleInvalid, Problem
from programs.bundle.summary import ImportSummary, KindChanges
from programs.bundle.validate import FORMAT, bundle_parse, bundle_problems

__all__ = [
    "FORMAT",
    "BundleInvalid",
    "ImportSummary",
    "KindChanges",
    "Problem",
    "bundle_export",
    "bundle_import",
    "bundle_json",
    "bundle_parse",
    "bundle_problems",
]
