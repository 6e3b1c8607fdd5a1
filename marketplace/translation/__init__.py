"""Machine translation of what people write (RFQs, messages...): the providers behind one interface
(`providers`) and the language of a text (`languages`). Stored translations, the task that makes
them and the selector that reads them live in the kernel's models, services, tasks and selectors
(docs/translation.md)."""
