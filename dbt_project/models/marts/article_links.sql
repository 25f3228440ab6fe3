-- Why two articles were linked: the evidence behind copies, rewrites and shared stories.
with links as (select * from {{ ref('stg_article_links') }}),

final as (
    select
        article_id,
        linked_article_id,
        relation,
        shingle_jaccard,
        sentence_alignment,
        entity_overlap,
        text_similarity,
        found_run_id
    from links
)

select * from final
