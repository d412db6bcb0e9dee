"""The funding service's settings, from environment variables."""

from inclusion_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "funding"
