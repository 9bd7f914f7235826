@extends('layouts.mail')

@section('content')
    <p>Hi {{ $user->first_name }},</p>
    <p>{{ __('Mistakes were made with your delivery.') }}</p>
    <p>{{ __('Our driver will collect the armchair on Friday.') }}</p>
@endsection
