"""Scenarios to 2035: drivers, levers (plan measures as changes of activity), projection
through the accounting engine, peak detection, target feasibility and wedges."""
