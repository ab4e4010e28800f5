"""The target-neutral intermediate representation (`model.py`) and its builder (`build.py`).

Import from the submodules; this package imports nothing so that `generator.ir.model` stays cheap.
"""
