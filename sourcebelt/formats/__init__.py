"""One date, time and number format per language (settings.FORMAT_MODULE_PATH).

Templates print a date with `|date:"SHORT_DATE_FORMAT"` (or plain `|date`) and a moment with
`|date:"SHORT_DATETIME_FORMAT"`, never with a format of their own, so every page of a language
shows the same form: 2026-12-06 15:29 in English, 2026年12月6日 15:29 in Chinese. See docs/glossary.md.
"""
