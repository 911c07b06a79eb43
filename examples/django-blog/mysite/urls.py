from django.urls import include, path
from rest_framework.routers import DefaultRouter

from blog import views

router = DefaultRouter()
router.register("api/posts", views.PostViewSet)

urlpatterns = [
    path("", views.post_list, name="post-list"),
    path("archive/", views.archive, name="archive"),
    path("feed/", views.feed, name="feed"),
    path("authors/", views.author_index, name="author-index"),
    path("tags/counts/", views.tag_counts, name="tag-counts"),
    path("posts/<int:pk>/share/", views.share_post, name="share-post"),
    path("", include(router.urls)),
]
