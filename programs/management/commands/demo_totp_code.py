"""`python manage.py demo_totp_code`: the demo site admin's current two-factor code.

The admin asks for one after the password. The demo's key is published (programs/demo.py),
so this prints nothing a reader of the code could not work out; it knows no other key.
"""

import time

from allauth.mfa import app_settings
from django.core.management.base import BaseCommand

from programs.demo import DEMO_DOMAIN, demo_admin_totp_code


class Command(BaseCommand):
    help = "Print the demo site admin's current two-factor (TOTP) code."

    def handle(self, *args, **options):
        left = app_settings.TOTP_PERIOD - int(time.time()) % app_settings.TOTP_PERIOD
        self.stdout.write(
            f"{demo_admin_totp_code()}  (admin@{DEMO_DOMAIN}, valid for about {left} s more)"
        )
