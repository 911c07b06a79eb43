import requests
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from rest_framework import serializers, viewsets
from rest_framework.pagination import LimitOffsetPagination

from .models import Author, Post, Tag

PAGE_SIZE = 20


def post_list(request):
    page = int(request.GET.get("page", 1))
    start = (page - 1) * PAGE_SIZE
    posts = Post.objects.filter(published=True).order_by("-created_at")[start:start + PAGE_SIZE]
    # post.author is a lazy foreign key: one query per post (N+1).
    return JsonResponse({"posts": [{"title": p.title, "author": p.author.name} for p in posts]})


def feed(request):
    # The latest posts with their authors in one query: select_related, no offset.
    posts = Post.objects.select_related("author").order_by("-created_at")[:PAGE_SIZE]
    return JsonResponse({"posts": [{"title": p.title, "author": p.author.name} for p in posts]})


def archive(request):
    paginator = Paginator(Post.objects.order_by("-created_at"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return JsonResponse({"posts": [p.title for p in page], "pages": paginator.num_pages})


def tag_counts(request):
    tags = Tag.objects.order_by("name")
    # One COUNT query per tag (N+1): annotate(Count("posts")) does it in one.
    return JsonResponse({tag.name: Post.objects.filter(tags=tag).count() for tag in tags})


def author_index(request):
    authors = Author.objects.order_by("name")
    result = []
    for author in authors:
        # No timeout: one slow website stalls the whole page.
        status = requests.get(author.website).status_code if author.website else None
        result.append({"name": author.name, "website_up": status == 200})
    return JsonResponse({"authors": result})


def share_post(request, pk):
    post = get_object_or_404(Post, pk=pk)
    # Sends mail inside the request: the user waits on the SMTP server.
    send_mail(f"Read: {post.title}", post.body[:200], "noreply@example.com", [request.POST["to"]])
    return JsonResponse({"sent": True})


class PostSerializer(serializers.ModelSerializer):
    class Meta:
        model = Post
        fields = ["id", "title", "created_at"]


class PostViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Post.objects.filter(published=True).order_by("-created_at")
    serializer_class = PostSerializer
    pagination_class = LimitOffsetPagination
