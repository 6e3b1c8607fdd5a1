"""The Chinese a factory owner reads: one word per meaning where English uses one word for two."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from buyers.models import QuoteVersion
from marketplace.models import ExchangeRate
from orders.models import PaymentMilestone
from suppliers.forms.verification import DocumentForm
from suppliers.services.profiles import SPOKEN_LANGUAGES


def test_cross_border_the_verification_form_names_its_two_fields_differently_in_both_languages() -> None:
    for language in ("en", "zh-hans"):
        with translation.override(language):
            form = DocumentForm()
            labels = [str(form.fields["name"].label), str(form.fields["file"].label)]
        assert labels[0] != labels[1], f"in {language} both fields are labelled {labels[0]}"
    with translation.override("zh-hans"):
        assert [str(DocumentForm().fields[name].label) for name in ("name", "file")] == ["文件名称", "文件"]


def test_cross_border_a_quote_and_the_quote_currency_of_a_rate_are_different_words_in_chinese() -> None:
    with translation.override("zh-hans"):
        assert str(QuoteVersion._meta.get_field("quote").verbose_name) == "报价"
        assert str(ExchangeRate._meta.get_field("quote").verbose_name) == "计价币种"
    with translation.override("en"):
        assert str(ExchangeRate._meta.get_field("quote").verbose_name) == "quote"


def test_cross_border_a_payment_is_due_before_shipment_and_its_status_is_awaiting_payment() -> None:
    header = Template('{% load i18n %}{% translate "Due" context "payment terms" %}')
    with translation.override("zh-hans"):
        assert header.render(Context()) == "到期"
        assert str(PaymentMilestone.Status.DUE.label) == "待付款"
    with translation.override("en"):
        assert header.render(Context()) == "Due"
        assert str(PaymentMilestone.Status.DUE.label) == "Due"


def test_cross_border_a_history_starts_with_created_not_a_creation_time() -> None:
    created = Template('{% load i18n %}{% translate "Created" context "history" %}')
    with translation.override("zh-hans"):
        assert created.render(Context()) == "已创建"


def test_cross_border_the_languages_a_factory_speaks_are_named_in_the_readers_language() -> None:
    with translation.override("zh-hans"):
        assert str(SPOKEN_LANGUAGES["en"]) == "英语"
        assert str(SPOKEN_LANGUAGES["zh"]) == "中文"
    with translation.override("en"):
        assert str(SPOKEN_LANGUAGES["en"]) == "English"
