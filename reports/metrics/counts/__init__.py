"""Each kind of record counted in ONE query for every figure about it.

The dashboards show a dozen tables about the same jeugdigen, interviews and obstacles; each
kind is counted once, with a conditional count per figure cell, and the table builders add the
counts up. A table builder called on its own makes its own counts (one query)."""
