"""Date and number formats for Tibetan (bo), after CLDR.

Django ships no formats for bo. The long patterns follow CLDR: "སྤྱི་ལོ་"
(common era) before the year, the genitive "འི་" after the month and "ཚེས་"
(day) before the day. "E" is the month name as used inside a date (CLDR's
format form), "F" would be the stand-alone form. The month and weekday names
come from the project's catalogue (see commons.formats.calendar_names).
"""

DATE_FORMAT = "སྤྱི་ལོ་Y Eའི་ཚེས་j"  # སྤྱི་ལོ་2025 ཟླ་བ་དང་པོའི་ཚེས་5
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "སྤྱི་ལོ་Y Eའི་ཚེས་j H:i"
YEAR_MONTH_FORMAT = "Y F"  # 2025 ཟླ་བ་དང་པོ་
MONTH_DAY_FORMAT = "Eའི་ཚེས་j"  # ཟླ་བ་དང་པོའི་ཚེས་5
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
