"""A small Falcon service served by waitress: the fixture app of a Pipenv project."""
