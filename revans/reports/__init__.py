"""Reports: the facilitator's set report and the sponsor's view (issue 5).

So far only the offline theme-grouping engine (`themes.py`) lives here.
"""
