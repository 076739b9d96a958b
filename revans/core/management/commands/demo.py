from django.core.management.base import BaseCommand

from revans.accounts.actions import make_sign_in_url
from revans.core.demo import DEMO_PASSWORD, demo_logins, load_demo


class Command(BaseCommand):
    help = "Load the demo organisation (once) and print a sign-in link for each demo role."

    def handle(self, *args, **options):
        created = load_demo()
        self.stdout.write(
            "Demo organisation loaded." if created else "Demo organisation already present; kept."
        )
        self.stdout.write("\nSign in at http://127.0.0.1:8000 as any demo role:")
        for role, user in demo_logins():
            self.stdout.write(f"\n  {role}: {user.display_name} <{user.email}>")
            self.stdout.write(f"    one-time link (15 minutes): {make_sign_in_url(user)}")
        self.stdout.write(
            f"\n  Or sign in with any of those emails and the password: {DEMO_PASSWORD}\n"
            "  Fresh links: run `make run` again (the data is kept). Emails the demo sends: /outbox/\n"
            "  To run a live meeting now: as the facilitator, open the next meeting, choose\n"
            "  'Move or change details' and give it today's date; then 'Open the live meeting'.\n"
        )
