"""Date and number formats for Nuosu Yi (ii), after CLDR.

Django ships no formats for ii. CLDR's long date is year, month name, day
("y MMMM d"); Yi has one form of each month name, so "E" and "F" agree. The
month and weekday names come from the project's catalogue (see
commons.formats.calendar_names).
"""

DATE_FORMAT = "Y E j"  # 2025 ꋍꆪ 5
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "Y E j H:i"  # 2025 ꋍꆪ 5 14:30
YEAR_MONTH_FORMAT = "Y F"  # 2025 ꋍꆪ
MONTH_DAY_FORMAT = "E jꑍ"  # ꋍꆪ 5ꑍ
SHORT_DATE_FORMAT = "Y-m-d"  # 2025-01-05
SHORT_DATETIME_FORMAT = "Y-m-d H:i"  # 2025-01-05 14:30
# Weeks start on Monday in China.
FIRST_DAY_OF_WEEK = 1

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2025-01-05
    "%Y/%m/%d",  # 2025/01/05
]
TIME_INPUT_FORMATS = [
    "%H:%M",  # 14:30
    "%H:%M:%S",  # 14:30:59
    "%H:%M:%S.%f",  # 14:30:59.000200
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",  # 2025-01-05 14:30
    "%Y-%m-%d %H:%M:%S",  # 2025-01-05 14:30:59
    "%Y-%m-%d %H:%M:%S.%f",  # 2025-01-05 14:30:59.000200
    "%Y/%m/%d %H:%M",  # 2025/01/05 14:30
    "%Y/%m/%d %H:%M:%S",  # 2025/01/05 14:30:59
]

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
