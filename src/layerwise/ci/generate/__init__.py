"""`layerwise ci generate`: a pipeline whose image build caches right, with each choice
explained in a comment of the file it writes."""

from layerwise.ci.generate.plan import CACHES, PROVIDERS, Plan, make_plan
from layerwise.ci.generate.render import render, target_file

__all__ = ["CACHES", "PROVIDERS", "Plan", "make_plan", "render", "target_file"]
