with source as (
    select * from {{ source('landing', 'articles') }}
),

renamed as (
    select
        article_id,
        external_id,
        source_path,
        input_format,
        url,
        title,
        published_date,
        outlet,
        wire_agency,
        byline,
        dateline,
        body_text,
        word_count,
        encoding,
        encoding_guessed,
        extraction_method,
        quality_flags,
        run_id as loaded_run_id,
        loaded_at
    from source
)

select * from renamed
