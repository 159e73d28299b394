"""The build form's defaults come from the settings a site operator sets."""

from scheduling.forms import BuildForm


def test_the_time_limit_defaults_to_the_sites_setting(settings):
    settings.SCHEDULE_BUILD_TIME_LIMIT_S = 17
    form = BuildForm()
    assert form.get_initial_for_field(form.fields["time_limit_s"], "time_limit_s") == 17
