#!/usr/bin/env python3
"""A Leadtime agent in a few lines (client-cli/README.md, "Agents").

leadtime-cli --agent "python3 scripts/agents/example_agent.py" writes the
seat's view as one JSON line on stdin each round and reads one JSON line of
orders back. Anything on stderr goes to the terminal, for debugging.
"""
import json
import sys

for line in sys.stdin:  # one view per round
    view = json.loads(line)
    me = view["self"]
    # Sharper estimates of the others: a twentieth of cash on intelligence.
    orders = [{"action": "set_intelligence", "usd_b": round(min(5.0, 0.05 * me["cash_usd_b"]), 2)}]
    lead = view["indicators"]["lead_months"]  # public estimate, US over China
    if me["kind"] == "lab" and (lead < 6 if me["bloc"] == "US" else lead > 6):
        orders.append({"action": "set_training_share", "share": 0.6})  # falling behind: train harder
    print(json.dumps({"orders": orders}), flush=True)
