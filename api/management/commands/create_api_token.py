"""`python manage.py create_api_token EMAIL [--name NAME] [--write] [--days N]`

Makes a personal access token for the person with that e-mail and prints it (only this
command ever sees it: the database keeps its SHA-256), for scripts and for the README's
example session. People make their own on /account/tokens/.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.models import AccessToken
from api.services import DEFAULT_LIFETIME_DAYS, MAX_LIFETIME_DAYS, access_token_create


class Command(BaseCommand):
    help = "Make a personal access token for a user and print it (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The user's e-mail address.")
        parser.add_argument("--name", default="command line", help="What the token is for.")
        parser.add_argument(
            "--write", action="store_true", help="Read and write (default: read only)."
        )
        parser.add_argument(
            "--days", type=int, default=DEFAULT_LIFETIME_DAYS, help="Lifetime in days."
        )

    def handle(self, *args, email, name, write, days, **options):
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with the e-mail {email!r}.")
        if not 1 <= days <= MAX_LIFETIME_DAYS:
            raise CommandError(f"A token lives between 1 and {MAX_LIFETIME_DAYS} days.")
        scope = AccessToken.Scope.WRITE if write else AccessToken.Scope.READ
        made = access_token_create(user=user, name=name, scope=scope, lifetime_days=days)
        self.stdout.write(made.secret)
