"""layerwise.shell: RUN commands as simple commands with operators and exact file offsets."""

from layerwise.shell.commands import Command
from layerwise.shell.parse import Script, parse_script, parse_text
from layerwise.shell.words import Word

__all__ = ["Command", "Script", "Word", "parse_script", "parse_text"]
