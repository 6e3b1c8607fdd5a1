"""`Company.sells` (marketplace 0003) is true for every company that has a supplier profile.

The suppliers app keeps the flag from now on (suppliers.services.profiles); this fills it for the
profiles that already exist. Backwards, the kernel's column is simply dropped by its migration.
"""

from django.db import migrations


def fill_company_sells(apps, schema_editor):
    company = apps.get_model("marketplace", "Company")
    company.objects.filter(supplier_profile__isnull=False).update(sells=True)


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0003_company_sells"),
        ("suppliers", "0009_private_storage"),
    ]

    operations = [migrations.RunPython(fill_company_sells, migrations.RunPython.noop)]
