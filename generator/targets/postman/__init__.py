"""The `postman` target: a Postman v2.1 collection per vendor plus one environment per deployment.

Output (under build/<vendor>/postman/): `<vendor>.postman_collection.json` and
`environments/<vendor>-<env>.postman_environment.json` for the local mock and each real environment.
The collection runs green in newman against the vendor's mock:
`newman run <vendor>.postman_collection.json -e environments/<vendor>-mock.postman_environment.json
--env-var baseUrl=http://127.0.0.1:4010 --env-var <credential>=...`.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from generator.ir.model import Api
from generator.problems import Problem
from generator.targets.base import TargetContext
from generator.targets.postman.collection import PostmanOutput, build_postman
from generator.targets.postman.environments import DEFAULT_MOCK_URL
from generator.util.jsonio import write_json

__all__ = ["TARGET", "PostmanTarget", "build_postman", "write_postman"]


def write_postman(api: Api, slug: str, out: Path, mock_url: str = DEFAULT_MOCK_URL) -> tuple[list[Path], list[Problem]]:
    """Write the collection and environments for `api` into `out`; returns the files and problems.
    (No templates: the scripts are built in Python, `prerequest.py` and `testscript.py`.)"""
    result: PostmanOutput = build_postman(api, slug, mock_url)
    files = [out / f"{slug}.postman_collection.json"]
    write_json(files[0], result.collection)
    for name, document in result.environments.items():
        path = out / "environments" / f"{slug}-{name}.postman_environment.json"
        write_json(path, document)
        files.append(path)
    return files, result.problems


class PostmanTarget:
    name = "postman"

    def output_dir(self, vendor: str) -> PurePosixPath:
        return PurePosixPath(vendor) / "postman"

    def render(self, api: Api, ctx: TargetContext, out: Path) -> list[Problem]:
        _, problems = write_postman(api, ctx.vendor, out)
        return problems


TARGET = PostmanTarget()
