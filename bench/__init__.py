"""`make bench` / `python -m bench`: connectorgen side by side with api-spec-converter,
openapi-to-postmanv2 and Prism. Every figure is a whole process (or a live server) measured several
times; the report goes to build/bench/report.md and report.json."""

__all__: list[str] = []
