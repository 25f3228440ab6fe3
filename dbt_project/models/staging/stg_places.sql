with source as (select * from {{ source('landing', 'places') }}),

renamed as (
    select
        place_id,
        name as place_name,
        feature as place_type,
        country_code,
        country_name,
        admin1_code,
        admin1_name,
        latitude,
        longitude,
        population
    from source
)

select * from renamed
