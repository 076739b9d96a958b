"""Reports: the facilitator's set report and the sponsor's view (issue 5).

- `themes.py`: the offline theme-grouping engine (also `revans themes`);
- `figures.py`: a set's figures (batched for many sets: the programme view uses it too);
- `models.py`: the draft report, its themes and their evidence, members' concerns and the
  released versions (immutable snapshots of exactly what the sponsor reads).
"""
