"""Count the letters of a name and hand the count to later tasks through $PSR_OUTPUT."""
import os
import sys

name = sys.argv[1] if len(sys.argv) > 1 else ""
letters = sum(1 for c in name if c.isalpha())
print(f"python {sys.version_info.major}.{sys.version_info.minor}: {name!r} has {letters} letters")
with open(os.environ["PSR_OUTPUT"], "a", encoding="utf-8") as out:
    out.write(f"letters={letters}\n")
