"""China's provincial-level divisions, where the industrial belts are."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

PROVINCE_CHOICES = [
    ("anhui", _("Anhui")),
    ("beijing", _("Beijing")),
    ("chongqing", _("Chongqing")),
    ("fujian", _("Fujian")),
    ("gansu", _("Gansu")),
    ("guangdong", _("Guangdong")),
    ("guangxi", _("Guangxi")),
    ("guizhou", _("Guizhou")),
    ("hainan", _("Hainan")),
    ("hebei", _("Hebei")),
    ("heilongjiang", _("Heilongjiang")),
    ("henan", _("Henan")),
    ("hongkong", _("Hong Kong")),
    ("hubei", _("Hubei")),
    ("hunan", _("Hunan")),
    ("jiangsu", _("Jiangsu")),
    ("jiangxi", _("Jiangxi")),
    ("jilin", _("Jilin")),
    ("liaoning", _("Liaoning")),
    ("macau", _("Macau")),
    ("neimenggu", _("Inner Mongolia")),
    ("ningxia", _("Ningxia")),
    ("qinghai", _("Qinghai")),
    ("shaanxi", _("Shaanxi")),
    ("shandong", _("Shandong")),
    ("shanghai", _("Shanghai")),
    ("shanxi", _("Shanxi")),
    ("sichuan", _("Sichuan")),
    ("taiwan", _("Taiwan")),
    ("tianjin", _("Tianjin")),
    ("xinjiang", _("Xinjiang")),
    ("xizang", _("Tibet")),
    ("yunnan", _("Yunnan")),
    ("zhejiang", _("Zhejiang")),
]


# django-countries ships these names without a Chinese translation; our catalogue (LOCALE_PATHS,
# which Django reads first) supplies them so country lists are wholly Chinese in Chinese.
COUNTRY_NAMES_FOR_TRANSLATION = [
    gettext_noop("Democratic Republic of the Congo"),
    gettext_noop("Micronesia"),
    gettext_noop("South Georgia"),
    gettext_noop("Palestine"),
    gettext_noop("Saint Helena"),
    gettext_noop("Vatican City"),
    gettext_noop("Tanzania, the United Republic of"),
    gettext_noop("Bahamas (The)"),
    gettext_noop("Eswatini"),
    gettext_noop("Falkland Islands (Malvinas)"),
    gettext_noop("Netherlands (Kingdom of the)"),
    gettext_noop("North Macedonia"),
    gettext_noop("Türkiye"),
]
