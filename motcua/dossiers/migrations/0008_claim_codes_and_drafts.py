"""Joins two migrations written side by side: the receipts' claim codes and the drafts of
online submissions. Neither depends on the other."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0007_dossier_claim_code"),
        ("dossiers", "0007_submission_drafts"),
    ]

    operations: list[migrations.operations.base.Operation] = []
