@extends('layouts.mail')

@section('content')
    <p>{{ __('Hi :name,', ['name' => $user->first_name ?? 'there']) }}</p>
    <p>{{ __("We're sorry: we booked your sofa's delivery for the wrong week.") }}</p>
    <p>It will now arrive on {{ $order->delivery_date->format('l j F') }}, between 8am and
        1pm. You don't need to do anything.</p>
    <p>If that day doesn't suit you, reply to this email or call us on 0117 496 0555 and
        we will find another.</p>
    <p>Hannah Price, Brightwell Care</p>
@endsection
