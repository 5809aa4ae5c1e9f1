"""Settings for the platform, read from the environment (twelve-factor).

With nothing set, the platform runs on its embedded default: a SQLite file and
Celery tasks executed in-process. With DATABASE_URL and REDIS_URL set it runs
on PostgreSQL with a real Celery worker and beat.
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

from commons.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
PLATFORM_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=True)
# The development key only ever serves the embedded default; with DEBUG off
# the platform refuses to start without a key of its own.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me-" + "x" * 20)
if not DEBUG and SECRET_KEY.startswith("dev-only-"):
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "commons.core",
    "commons.regions",
    "commons.accounts",
    "commons.registry",
    "commons.ledger",
    "appeals",
    "metrics",
    "intermediaries",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "commons.urls"
WSGI_APPLICATION = "commons.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'platform.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several threads (the server and the in-process scheduler) share the
    # file: wait for a lock instead of failing at once.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "commons.accounts.backends.LockoutPasswordBackend",
    "commons.accounts.backends.PhoneCodeBackend",
]
VALIDATORS_MODULE = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{VALIDATORS_MODULE}.UserAttributeSimilarityValidator"},
    {
        "NAME": f"{VALIDATORS_MODULE}.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": f"{VALIDATORS_MODULE}.CommonPasswordValidator"},
    {"NAME": f"{VALIDATORS_MODULE}.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:staff-login"
LOGIN_REDIRECT_URL = "core:home"

# Staff sign-in lockout: this many failures within the window lock the
# account for the window.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)

# Residents sign in with a one-time code sent by SMS.
SMS_BACKEND = env_str("SMS_BACKEND", "commons.accounts.sms.OutboxBackend")
ONE_TIME_CODE_MINUTES = env_int("ONE_TIME_CODE_MINUTES", 10)
ONE_TIME_CODE_ATTEMPTS = 5

# Keyed hash for ID numbers: changing it makes every stored hash unreachable,
# so production sets it once and keeps it apart from SECRET_KEY.
REGISTRY_HASH_KEY = env_str("REGISTRY_HASH_KEY", SECRET_KEY)
# Decides which communities a volunteer serves, for the registry's access rule.
REGISTRY_SCOPE_HOOK = "intermediaries.scope.serves"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("bo", _("Tibetan")),
    ("ii", _("Nuosu Yi")),
    ("en", _("English")),
]
# Django knows neither Tibetan nor Nuosu Yi; without these entries the
# language tags and the translated admin raise KeyError.
LANG_INFO.setdefault(
    "bo", {"bidi": False, "code": "bo", "name": "Tibetan", "name_local": "བོད་སྐད་"}
)
LANG_INFO.setdefault(
    "ii", {"bidi": False, "code": "ii", "name": "Nuosu Yi", "name_local": "ꆈꌠꉙ"}
)
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["commons.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")

MODELTRANSLATION_DEFAULT_LANGUAGE = "zh-hans"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("zh-hans",)

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [PLATFORM_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
# Without a broker the embedded default runs each task in the calling process.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
# Nothing reads task results: state lives in the database. Without a result
# store, an unreachable Redis costs a filing one quick broker attempt, not the
# result backend's long retry loop, before the sweep takes over.
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "verify-ledger-nightly": {
        "task": "commons.ledger.tasks.verify_ledger_chain",
        "schedule": crontab(hour=2, minute=30),
    },
    "route-unrouted-appeals": {
        "task": "appeals.tasks.reenqueue_unrouted",
        "schedule": 60.0,
    },
    "escalate-overdue-appeals": {
        "task": "appeals.tasks.escalate_overdue",
        "schedule": 300.0,
    },
    "close-unrated-appeals": {
        "task": "appeals.tasks.close_unrated",
        "schedule": 3600.0,
    },
    "purge-expired-codes": {
        "task": "commons.accounts.tasks.purge_expired_codes",
        "schedule": 3600.0,
    },
    "metrics-monthly-snapshots": {
        "task": "metrics.tasks.take_monthly_snapshots",
        "schedule": crontab(day_of_month=1, hour=1, minute=10),
    },
    "metrics-rolling-snapshots": {
        "task": "metrics.tasks.take_rolling_snapshots",
        "schedule": crontab(hour=1, minute=40),
    },
    "metrics-quarterly-evaluation": {
        "task": "metrics.tasks.evaluate_last_quarter",
        "schedule": crontab(month_of_year="1,4,7,10", day_of_month=2, hour=2),
    },
    "metrics-resume-lost-runs": {
        "task": "metrics.tasks.resume_lost_runs",
        "schedule": 600.0,
    },
}

CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sichuan community services API",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# Preloading stays opt-in: once a domain is on the browsers' list, all of its
# subdomains must serve HTTPS for months, and a county's domain usually hosts
# services the platform does not run. The deploy check warns about the choice.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env_bool("BEHIND_PROXY", default=False)
    else None
)
SECURE_REFERRER_POLICY = "same-origin"

LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "commons.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Functions the demo command calls after the platform's own demo data, so each
# app seeds its part without the platform core importing the apps.
DEMO_SEEDERS: list[str] = ["appeals.seeds.seed_demo", "intermediaries.seeds.seed_demo"]

# Residents may rate or reopen an answer for this many days; then it closes.
APPEAL_FEEDBACK_DAYS = env_int("APPEAL_FEEDBACK_DAYS", 7)
# An appeal still overdue this long after an escalation climbs one level more.
APPEAL_ESCALATION_REPEAT_HOURS = env_int("APPEAL_ESCALATION_REPEAT_HOURS", 24)
