"""Apply rule fixes to a fixed point and write the result safely."""

from layerwise.fix.loop import FixResult, allowed, fix_text, pick_fixes
from layerwise.fix.write import unified_diff, write_atomic

__all__ = ["FixResult", "allowed", "fix_text", "pick_fixes", "unified_diff", "write_atomic"]
