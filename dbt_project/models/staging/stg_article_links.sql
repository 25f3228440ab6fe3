with source as (
    select * from {{ source('landing', 'article_links') }}
)

select
    article_id,
    linked_article_id,
    relation,
    shingle_jaccard,
    sentence_alignment,
    entity_overlap,
    text_similarity,
    run_id as found_run_id
from source
