"""Default texts and numbers for a new set, from METHOD.md. Every one is editable per set."""

from django.utils.translation import gettext_lazy as _

RECOMMENDED_MIN_MEMBERS = 4
RECOMMENDED_MAX_MEMBERS = 8
ALLOWED_MIN_MEMBERS = 3
ALLOWED_MAX_MEMBERS = 12

DEFAULT_MEETING_COUNT = 6
DEFAULT_DURATION_MINUTES = 90

# The momentum call between two meetings, in per cent of the way from one to the next.
DEFAULT_MOMENTUM_CALL_PERCENT = 50
MIN_MOMENTUM_CALL_PERCENT = 10
MAX_MOMENTUM_CALL_PERCENT = 90

DEFAULT_GROUND_RULES = _(
    "1. Statements only in response to questions. Anyone may ask anyone a question.\n"
    "2. The facilitator may pause the set at any time when there is an opportunity to learn.\n"
    "3. We attend every meeting, arrive on time and send apologies in advance if we cannot.\n"
    "4. Everyone gets equal airtime over the programme.\n"
    "5. All ideas get a hearing; nobody is put down. We challenge with respect.\n"
    "6. Each of us commits to an action before the next meeting and reports back on it."
)

DEFAULT_CONFIDENTIALITY = _(
    "What is said in the set stays in the set. I will not repeat outside the set anything "
    "another member has said, nor say who said it. The sponsoring organisation receives only "
    "attendance, numbers and themes approved by the set, never what an individual said. "
    "My private learning notes are mine alone."
)
