"""Calendar names that Django translates, marked again for our catalogues.

Django looks up month names, weekday names and AM/PM in its own catalogues,
which have nothing for Tibetan or Nuosu Yi; without a translation a bo or ii
page would fall back to the Chinese names. makemessages never extracts from
Django itself, so the same msgids (with the same contexts) are marked here,
and the translations in locale/ take precedence over Django's.

Nothing imports this module: it exists for the extractor. Each tuple mirrors
one table in django.utils.dates or django.utils.dateformat, in order.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Format character "l".
WEEKDAYS: tuple[Promise, ...] = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)
# Format character "D".
WEEKDAYS_ABBR: tuple[Promise, ...] = (
    _("Mon"),
    _("Tue"),
    _("Wed"),
    _("Thu"),
    _("Fri"),
    _("Sat"),
    _("Sun"),
)
# Format character "F": the name on its own (CLDR's stand-alone form).
MONTHS: tuple[Promise, ...] = (
    _("January"),
    _("February"),
    _("March"),
    _("April"),
    _("May"),
    _("June"),
    _("July"),
    _("August"),
    _("September"),
    _("October"),
    _("November"),
    _("December"),
)
# Format character "b".
MONTHS_3: tuple[Promise, ...] = (
    _("jan"),
    _("feb"),
    _("mar"),
    _("apr"),
    _("may"),
    _("jun"),
    _("jul"),
    _("aug"),
    _("sep"),
    _("oct"),
    _("nov"),
    _("dec"),
)
# Format character "N".
MONTHS_AP: tuple[Promise, ...] = (
    pgettext_lazy("abbrev. month", "Jan."),
    pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "March"),
    pgettext_lazy("abbrev. month", "April"),
    pgettext_lazy("abbrev. month", "May"),
    pgettext_lazy("abbrev. month", "June"),
    pgettext_lazy("abbrev. month", "July"),
    pgettext_lazy("abbrev. month", "Aug."),
    pgettext_lazy("abbrev. month", "Sept."),
    pgettext_lazy("abbrev. month", "Oct."),
    pgettext_lazy("abbrev. month", "Nov."),
    pgettext_lazy("abbrev. month", "Dec."),
)
# Format character "E": the name inside a date (CLDR's format form), which
# the bo and ii DATE_FORMAT use.
MONTHS_ALT: tuple[Promise, ...] = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
# Format characters "A" and "a".
DAY_PERIODS: tuple[Promise, ...] = (_("AM"), _("PM"), _("a.m."), _("p.m."))
