"""`connectorgen import`: a published Power Platform connector (apiDefinition.swagger.json,
apiProperties.json, custom code, icon) → a curated folder (`openapi.yaml` 3.1, `connector.yaml`)
that builds back into an equivalent connector. `import_connector` is the one entry point."""

from __future__ import annotations

from generator.importer.core import ImportResult, import_connector

__all__ = ["ImportResult", "import_connector"]
