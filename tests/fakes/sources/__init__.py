"""The site fakes of `tests/fakes/sources_fake.py`: the threads they serve, and one module of
routes per site, combined into one server there."""
