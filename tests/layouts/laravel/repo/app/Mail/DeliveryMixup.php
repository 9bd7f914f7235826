<?php

namespace App\Mail;

use App\Models\User;
use Illuminate\Bus\Queueable;
use Illuminate\Mail\Mailable;
use Illuminate\Queue\SerializesModels;

class DeliveryMixup extends Mailable
{
    use Queueable, SerializesModels;

    public function __construct(public User $user)
    {
    }

    public function build()
    {
        return $this->from('noreply@brightwell.example', 'Brightwell')
            ->subject('Whoops! Delivery mix-up')
            ->view('emails.delivery_mixup')
            ->text('emails.delivery_mixup_text');
    }
}
