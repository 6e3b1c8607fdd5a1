"""The currencies every installation starts with; staff add more in the admin."""

from django.db import migrations

CURRENCIES = [
    ("AED", "UAE dirham", "د.إ", 2), ("AUD", "Australian dollar", "A$", 2), ("BDT", "Bangladeshi taka", "৳", 2),
    ("BRL", "Brazilian real", "R$", 2), ("CAD", "Canadian dollar", "C$", 2), ("CHF", "Swiss franc", "CHF", 2),
    ("CNY", "Chinese yuan", "¥", 2), ("EGP", "Egyptian pound", "E£", 2), ("EUR", "Euro", "€", 2),
    ("GBP", "Pound sterling", "£", 2), ("HKD", "Hong Kong dollar", "HK$", 2), ("IDR", "Indonesian rupiah", "Rp", 2),
    ("INR", "Indian rupee", "₹", 2), ("JPY", "Japanese yen", "¥", 0), ("KES", "Kenyan shilling", "KSh", 2),
    ("KRW", "South Korean won", "₩", 0), ("LKR", "Sri Lankan rupee", "Rs", 2), ("MXN", "Mexican peso", "MX$", 2),
    ("MYR", "Malaysian ringgit", "RM", 2), ("NGN", "Nigerian naira", "₦", 2), ("NZD", "New Zealand dollar", "NZ$", 2),
    ("PHP", "Philippine peso", "₱", 2), ("PKR", "Pakistani rupee", "Rs", 2), ("RUB", "Russian ruble", "₽", 2),
    ("SAR", "Saudi riyal", "﷼", 2), ("SEK", "Swedish krona", "kr", 2), ("SGD", "Singapore dollar", "S$", 2),
    ("THB", "Thai baht", "฿", 2), ("TRY", "Turkish lira", "₺", 2), ("USD", "US dollar", "$", 2),
    ("VND", "Vietnamese dong", "₫", 0), ("ZAR", "South African rand", "R", 2),
]


def add_currencies(apps, schema_editor):
    Currency = apps.get_model("marketplace", "Currency")
    for code, name, symbol, places in CURRENCIES:
        Currency.objects.get_or_create(code=code, defaults={"name": name, "symbol": symbol, "decimal_places": places})


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_initial")]
    operations = [migrations.RunPython(add_currencies, migrations.RunPython.noop)]
