"""The registry of settings: every setting checked on the way in, found by id."""

from typing import Self

from pydantic import model_validator

from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.setting import Setting, check_setting
from placements.domain.values import DomainModel


class SettingRegistry(DomainModel):
    """The settings the authority places in."""

    settings: tuple[Setting, ...] = ()

    @model_validator(mode="after")
    def _ids_are_distinct(self) -> Self:
        ids = [setting.setting_id for setting in self.settings]
        if len(set(ids)) != len(ids):
            raise ValueError("a setting is registered only once")
        return self

    def setting(self, setting_id: str) -> Setting:
        """The setting with this id; refused if it is not registered."""
        for setting in self.settings:
            if setting.setting_id == setting_id:
                return setting
        raise DecisionRefused(RefusalCode.UNKNOWN_SETTING, (setting_id,))


def register_setting(registry: SettingRegistry, setting: Setting) -> SettingRegistry:
    """Add a setting, or refuse it: already registered, or its designation or range not allowed."""
    if any(s.setting_id == setting.setting_id for s in registry.settings):
        raise DecisionRefused(RefusalCode.SETTING_ALREADY_REGISTERED, (setting.setting_id,))
    return registry.evolve(settings=(*registry.settings, check_setting(setting)))
