with source as (select * from {{ source('landing', 'place_mentions') }}),

renamed as (
    select
        article_id,
        start_char,
        end_char,
        mention_text,
        role as mention_role,
        place_id,
        status as resolution_status,
        candidate_count
    from source
)

select * from renamed
