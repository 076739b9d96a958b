from django.urls import path

from revans.reports import views, views_released

app_name = "reports"

urlpatterns = [
    path("sets/<int:set_id>/report/", views_released.versions, name="versions"),
    path("sets/<int:set_id>/report/draft/", views.draft, name="draft"),
    path("sets/<int:set_id>/report/draft/start/", views.start, name="start"),
    path("sets/<int:set_id>/report/draft/suggest/", views.suggest, name="suggest"),
    path("sets/<int:set_id>/report/draft/settings/", views.update_settings, name="settings"),
    path("sets/<int:set_id>/report/draft/merge/", views.merge_themes, name="merge"),
    path("sets/<int:set_id>/report/draft/share/", views.share, name="share"),
    path("sets/<int:set_id>/report/draft/release/", views.release, name="release"),
    path("sets/<int:set_id>/report/themes/<int:theme_id>/", views.edit_theme, name="theme_edit"),
    path(
        "sets/<int:set_id>/report/themes/<int:theme_id>/delete/",
        views.delete_theme,
        name="theme_delete",
    ),
    path(
        "sets/<int:set_id>/report/themes/<int:theme_id>/split/",
        views.split_theme,
        name="theme_split",
    ),
    path("sets/<int:set_id>/report/concerns/", views.raise_concern, name="concern_raise"),
    path(
        "sets/<int:set_id>/report/concerns/<int:concern_id>/resolve/",
        views.resolve_concern,
        name="concern_resolve",
    ),
    path("sets/<int:set_id>/report/v<int:number>/", views_released.version, name="version"),
    path(
        "sets/<int:set_id>/report/v<int:number>/pdf/",
        views_released.version_pdf,
        name="version_pdf",
    ),
    path(
        "sets/<int:set_id>/report/v<int:number>/csv/",
        views_released.version_csv,
        name="version_csv",
    ),
]
