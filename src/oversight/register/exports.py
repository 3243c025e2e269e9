"""The register as rows with exactly the import's columns, so an export re-imports with no changes.

core.exports writes them formula-safe; yes/no, ISO dates and choice codes are what the import reads.
The regulator's exports lead with the organisation, since they span every body.
"""

from .imports import EquipmentImporter, SiteImporter


def _rows(objects, importer, cells, with_organisation: bool):
    headers = (['organisation'] if with_organisation else []) + list(importer.columns)

    def rows():
        for obj in objects.iterator(chunk_size=2000):
            values = cells(obj) | {column: getattr(obj, name) for column, name in importer.value_columns.items()}
            yield ([obj.organisation.name] if with_organisation else []) + [values[c] for c in importer.columns]

    return headers, rows()


def equipment_rows(lines, with_organisation: bool = False):
    """(headers, rows) of equipment lines in the import's columns."""

    def cells(line):
        return {'id': line.pk, 'site': line.site.name, 'system': line.system.name, 'category': line.system.category}

    return _rows(lines.select_related('organisation', 'site', 'system'), EquipmentImporter, cells, with_organisation)


def site_rows(sites, with_organisation: bool = False):
    """(headers, rows) of sites in the site import's columns."""
    return _rows(sites.select_related('organisation'), SiteImporter, lambda site: {}, with_organisation)
