"""Joins two migrations written side by side: accountless counter profiles with one-time codes,
and delegations of authority. Neither depends on the other."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_accountless_counter_profiles_and_one_time_codes"),
        ("accounts", "0007_delegation"),
    ]

    operations: list[migrations.operations.base.Operation] = []
