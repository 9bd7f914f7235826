Hi {{ $user->first_name }},

{{ __('Mistakes were made with your delivery.') }}

{{ __('Our driver will collect the armchair on Friday.') }}
