"""Every change to a live meeting. Each do_* takes (meeting or meeting id, actor, **fields),
runs as one locked transaction, and returns {"version", "seq", ...} or raises MeetingRefused."""

from revans.live.actions.bids import do_choose_issue_holders, do_submit_bid, do_withdraw_bid
from revans.live.actions.contributions import (
    do_add_action,
    do_give_feedback,
    do_mark_question,
    do_post_answer,
    do_post_question,
    do_private_note,
    do_record_learning,
)
from revans.live.actions.people import (
    do_rate_process,
    do_review_commitments,
    do_save_commitment_reviews,
)
from revans.live.actions.presence import (
    do_drop_dead_servers,
    do_heartbeat,
    do_join,
    do_leave,
)
from revans.live.actions.stage import (
    do_advance,
    do_close_room,
    do_end_meeting,
    do_extend_timer,
    do_go_back,
    do_hand_over_facilitation,
    do_open_meeting,
    do_pause,
    do_resume,
    do_set_round_minutes,
)
from revans.live.actions.turns import (
    do_mark_turn_done,
    do_reorder_turns,
    do_shuffle_turns,
    do_start_next_turn,
)

__all__ = [
    "do_add_action",
    "do_advance",
    "do_choose_issue_holders",
    "do_drop_dead_servers",
    "do_close_room",
    "do_end_meeting",
    "do_extend_timer",
    "do_give_feedback",
    "do_go_back",
    "do_heartbeat",
    "do_hand_over_facilitation",
    "do_join",
    "do_leave",
    "do_mark_question",
    "do_mark_turn_done",
    "do_open_meeting",
    "do_pause",
    "do_post_answer",
    "do_post_question",
    "do_private_note",
    "do_rate_process",
    "do_record_learning",
    "do_reorder_turns",
    "do_resume",
    "do_review_commitments",
    "do_save_commitment_reviews",
    "do_set_round_minutes",
    "do_shuffle_turns",
    "do_start_next_turn",
    "do_submit_bid",
    "do_withdraw_bid",
]
