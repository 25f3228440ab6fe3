-- One row per span of an article that names a place, resolved or not (and why not).
with place_mentions as (select * from {{ ref('stg_place_mentions') }}),

articles as (select article_id from {{ ref('articles') }}),

final as (
    select
        place_mentions.article_id,
        place_mentions.start_char,
        place_mentions.end_char,
        place_mentions.mention_text,
        place_mentions.mention_role,
        place_mentions.place_id,
        place_mentions.resolution_status,
        place_mentions.candidate_count
    from place_mentions
    inner join articles using (article_id)
)

select * from final
