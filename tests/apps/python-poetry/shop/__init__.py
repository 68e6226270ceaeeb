"""A small Flask service: the fixture app of a Poetry project."""
