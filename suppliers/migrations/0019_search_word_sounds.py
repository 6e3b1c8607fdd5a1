"""The vocabulary's Chinese words and their sounds: `SearchWord.sound`, a Chinese word's pinyin without
tones, so that a homophone typed with a pinyin input method (双间包 for 双肩包) finds its correction
(`suppliers.search.spelling`). Filled by the next vocabulary refresh (hourly)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0018_fine_sort_tokens")]

    operations = [
        migrations.AddField(
            model_name="searchword",
            name="sound",
            field=models.CharField(blank=True, db_index=True, default="", max_length=64),
        ),
    ]
